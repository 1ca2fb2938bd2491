minutes minutes-flow-comma.yaml -o @OUT@/minutes-flow-comma.pdf
