certificates --shard 0/3 ../cases-src/nfc.yaml -o @OUT@/giay-khen.pdf
