certificates --shard 4294967297/4294967298 ../cases-src/nfc.yaml -o @OUT@/giay-khen.pdf
