check --input-format json ../cases-src/nfc.yaml
