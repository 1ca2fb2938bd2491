certificates -l style-self.layout.yaml ../cases-src/nfc.yaml -o @OUT@/style-self.pdf
