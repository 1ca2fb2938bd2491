certificates -l box-below-unknown.layout.yaml ../cases-src/nfc.yaml -o @OUT@/box-below-unknown.pdf
