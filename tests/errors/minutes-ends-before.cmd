minutes minutes-ends-before.yaml -o @OUT@/minutes-ends-before.pdf
