certificates ../cases-src/nfc.yaml --backend haru --password-file /dev/zero -o @OUT@/giay-khen.pdf
