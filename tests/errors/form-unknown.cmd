check form-unknown.yaml
