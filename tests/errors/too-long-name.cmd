certificates too-long-name.yaml -o @OUT@/too-long-name.pdf
