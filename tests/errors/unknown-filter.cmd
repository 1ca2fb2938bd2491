certificates -l unknown-filter.layout.yaml ../cases-src/nfc.yaml -o @OUT@/unknown-filter.pdf
