certificates bad-date.yaml -o @OUT@/bad-date.pdf
