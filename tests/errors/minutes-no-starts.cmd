minutes minutes-no-starts.yaml -o @OUT@/minutes-no-starts.pdf
