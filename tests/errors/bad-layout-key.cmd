certificates -l bad-layout-key.layout.yaml ../cases-src/nfc.yaml -o @OUT@/bad-layout-key.pdf
