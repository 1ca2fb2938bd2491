certificates ../cases-src/nfc.yaml --format png -o -
