certificates --input-format csv --org bad-csv-org.yaml ../cases-src/nfc.yaml -o @OUT@/giay-khen.pdf
