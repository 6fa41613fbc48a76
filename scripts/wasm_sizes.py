"""Where a WASM module's bytes go: its sections, its code by crate, and its
largest functions, named from the module's name section.

Run it on the module cargo links (`target/front/wasm32-unknown-unknown/
wasm-release/frontend.wasm`), which still has names; wasm-bindgen strips
them from the shipped `muyi.<hash>.wasm`, which then shows sections only.

    python3 scripts/wasm_sizes.py FILE [TOP_N]
"""

import collections
import re
import sys

CODE, IMPORT, CUSTOM = 10, 2, 0
FUNCTION_NAMES = 1  # the name section's sub-section of function names


def leb(buf, i):
    """An unsigned LEB128 number at `i`, and the offset after it."""
    value = shift = 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def skip_limits(buf, j):
    flags, j = leb(buf, j)
    _, j = leb(buf, j)
    if flags & 1:
        _, j = leb(buf, j)
    return j


def imported_functions(buf, j):
    """Imported functions take the first function indices."""
    count, j = leb(buf, j)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            n, j = leb(buf, j)
            j += n
        kind = buf[j]
        j += 1
        if kind == 0:  # function: type index
            _, j = leb(buf, j)
            functions += 1
        elif kind == 1:  # table: element type, limits
            j = skip_limits(buf, j + 1)
        elif kind == 2:  # memory: limits
            j = skip_limits(buf, j)
        elif kind == 3:  # global: value type, mutability
            j += 2
    return functions


def function_names(buf, j, end):
    names = {}
    while j < end:
        sub = buf[j]
        size, j = leb(buf, j + 1)
        if sub == FUNCTION_NAMES:
            count, k = leb(buf, j)
            for _ in range(count):
                index, k = leb(buf, k)
                n, k = leb(buf, k)
                names[index] = buf[k : k + n].decode("utf8", "replace")
                k += n
        j += size
    return names


def body_sizes(buf, j):
    count, j = leb(buf, j)
    sizes = []
    for _ in range(count):
        size, after = leb(buf, j)
        sizes.append(size + after - j)
        j = after + size
    return sizes


def readable(symbol):
    """Legacy Rust mangling (`_ZN3foo3barE`) as `foo::bar`, escapes undone."""
    m = re.match(r"_ZN(.*)E$", symbol)
    if m:
        rest, parts = m.group(1), []
        while rest and rest[0].isdigit():
            digits = re.match(r"\d+", rest).group()
            n = int(digits)
            parts.append(rest[len(digits) : len(digits) + n])
            rest = rest[len(digits) + n :]
        symbol = "::".join(parts)
    for escaped, plain in [("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"),
                           ("$C$", ","), ("$LP$", "("), ("$RP$", ")"), ("..", "::")]:
        symbol = symbol.replace(escaped, plain)
    return symbol


def crate_of(name):
    """The crate a function is charged to: for `<T as Trait>::f`, T's; for
    a v0-mangled symbol (`_RNv…Cs<hash>_4core…`), its first crate's."""
    if name.startswith("_R"):
        m = re.search(r"C[s][0-9A-Za-z]*_(\d+)", name)
        if m:
            n = int(m.group(1))
            return name[m.end() : m.end() + n]
    m = re.match(r"[_<(\s]*(?:[*&](?:mut |const )?)?([A-Za-z_][A-Za-z0-9_]*)", name)
    return m.group(1) if m else "?"


def main():
    buf = open(sys.argv[1], "rb").read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    sections, sizes, names, imports = [], [], {}, 0
    i = 8  # magic and version
    while i < len(buf):
        sid = buf[i]
        size, i = leb(buf, i + 1)
        end = i + size
        if sid == CUSTOM:
            n, j = leb(buf, i)
            custom = buf[j : j + n].decode()
            sections.append((f"custom {custom}", size))
            if custom == "name":
                names = function_names(buf, j + n, end)
        else:
            sections.append((f"section {sid}", size))
            if sid == IMPORT:
                imports = imported_functions(buf, i)
            elif sid == CODE:
                sizes = body_sizes(buf, i)
        i = end

    for label, size in sections:
        print(f"{size:>10} {label}")
    functions = [(size, readable(names.get(imports + n, "?"))) for n, size in enumerate(sizes)]
    print(f"{sum(sizes):>10} code in {len(sizes)} functions")
    by_crate = collections.Counter()
    for size, name in functions:
        by_crate[crate_of(name)] += size
    for crate, size in by_crate.most_common(40):
        print(f"{size:>10} {crate}")
    for size, name in sorted(functions, reverse=True)[:top]:
        print(f"{size:>10} {name[:200]}")


if __name__ == "__main__":
    main()
