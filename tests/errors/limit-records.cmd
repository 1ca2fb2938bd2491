certificates limit-base.yaml --limit records=2 -o @OUT@/limit-records.pdf
