certificates broken-utf8.yaml -o @OUT@/broken-utf8.pdf
