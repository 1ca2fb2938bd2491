certificates -l style-later.layout.yaml ../cases-src/nfc.yaml -o @OUT@/style-later.pdf
