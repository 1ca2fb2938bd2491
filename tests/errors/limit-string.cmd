check limit-base.yaml --limit string-bytes=64
