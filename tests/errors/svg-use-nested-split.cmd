certificates svg-use-nested.yaml ../cases-src/nfc.yaml -o '@OUT@/out/{stt}-{ten}.pdf'
