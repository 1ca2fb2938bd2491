check --conformance minutes-no-starts.yaml
