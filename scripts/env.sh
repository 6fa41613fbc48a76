# Sourced by the other scripts: tools from npm (wasm-opt 132, tailwindcss)
# must come before Debian's, and cargo's before everything.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
