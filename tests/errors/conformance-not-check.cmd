minutes --conformance minutes-no-starts.yaml -o @OUT@/conformance-not-check.pdf
