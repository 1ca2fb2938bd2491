certificates -l option-unknown.layout.yaml ../cases/phoi-signer/state.yaml -o @OUT@/option-unknown.pdf
