certificates -l giay-khen-khong-co ../cases-src/nfc.yaml -o @OUT@/giay-khen.pdf
