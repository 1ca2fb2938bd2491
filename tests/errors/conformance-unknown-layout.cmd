check --conformance -l bien-ban-khong-co minutes-no-starts.yaml
