"""Code size of a linked WASM module by function and by crate, from its
name section (the `frontend.wasm` cargo links, before wasm-bindgen strips
the names). Usage: python3 scripts/wasm_sizes.py FILE [TOP_N]
"""
import sys, re, collections
data = open(sys.argv[1],'rb').read()
def leb(b, i):
    r=0; s=0
    while True:
        x=b[i]; i+=1; r|=(x&0x7f)<<s; s+=7
        if x<0x80: return r,i
i=8; sections=[]
nimports=0; code_sizes=[]; names={}
while i < len(data):
    sid=data[i]; i+=1
    size,i=leb(data,i); start=i; end=i+size
    if sid==0:
        nl,j=leb(data,i); name=data[j:j+nl].decode(); j+=nl
        sections.append(('custom:'+name,size))
        if name=='name':
            while j<end:
                sub=data[j]; j+=1; ss,j=leb(data,j); se=j+ss
                if sub==1:
                    cnt,k=leb(data,j)
                    for _ in range(cnt):
                        idx,k=leb(data,k); l,k=leb(data,k); names[idx]=data[k:k+l].decode('utf8','replace'); k+=l
                j=se
    else:
        sections.append((sid,size))
        if sid==2:
            cnt,j=leb(data,i)
            for _ in range(cnt):
                l,j=leb(data,j); j+=l; l,j=leb(data,j); j+=l
                kind=data[j]; j+=1
                if kind==0: _,j=leb(data,j); nimports+=1
                elif kind==1: j+=1; fl,j=leb(data,j); _,j=leb(data,j); 
                elif kind==2:
                    fl,j=leb(data,j); _,j=leb(data,j)
                    if fl&1: _,j=leb(data,j)
                elif kind==3: j+=2
        if sid==10:
            cnt,j=leb(data,i)
            for _ in range(cnt):
                l,j2=leb(data,j); code_sizes.append(l+(j2-j)); j=j2+l
    i=end
for s in sections: print(s)
def demangle(n):
    m=re.match(r'_ZN(.*)E$',n)
    if not m: return n
    s=m.group(1); parts=[]; k=0
    while k<len(s) and s[k].isdigit():
        d=re.match(r'\d+',s[k:]).group(); k+=len(d); parts.append(s[k:k+int(d)]); k+=int(d)
    return '::'.join(parts)
tot=collections.Counter(); fn=[]
for n,sz in enumerate(code_sizes):
    name=demangle(names.get(n+nimports,'?'))
    name=name.replace('$LT$','<').replace('$GT$','>').replace('$u20$',' ').replace('..','::').replace('$RF$','&').replace('$C$',',')
    fn.append((sz,name))
    # attribute to first crate appearing
    m=re.match(r'<?([a-z_0-9]+)',name.lstrip('<'))
    key=m.group(1) if m else '?'
    tot[key]+=sz
print('total code', sum(code_sizes), 'funcs', len(code_sizes))
for k,v in tot.most_common(40): print(f'{v:>10} {k}')
if len(sys.argv)>2:
    for sz,n in sorted(fn,reverse=True)[:int(sys.argv[2])]: print(sz, n[:200])
