certificates ../cases-src/nfc.yaml -o '@OUT@/out/{stt}.pdf' --manifest @OUT@/out/1.pdf
