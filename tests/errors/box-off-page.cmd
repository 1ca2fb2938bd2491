certificates -l box-off-page.layout.yaml ../cases-src/nfc.yaml -o @OUT@/box-off-page.pdf
