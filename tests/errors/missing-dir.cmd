certificates ../cases-src/nfc.yaml -o @OUT@/no/such/dir/x.pdf
