certificates limit-base.yaml --limit record-bytes=1k -o @OUT@/limit-record-bytes.pdf
