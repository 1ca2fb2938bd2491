certificates ../cases-src/nfc.yaml -o '@OUT@/nam-2024/dot-1/{stt}.pdf' --manifest @OUT@/nam-2024/dot-1/1.pdf
