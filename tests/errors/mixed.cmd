certificates bad-gender.yaml ../cases-src/nfc.yaml -o @OUT@/mixed.pdf
