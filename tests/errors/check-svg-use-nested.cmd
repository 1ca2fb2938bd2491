check svg-use-nested.yaml ../cases-src/nfc.yaml
