certificates ../cases-src/nfc.yaml -o /dev/full
