certificates -l frame-off-page.layout.yaml ../cases-src/nfc.yaml -o @OUT@/frame-off-page.pdf
