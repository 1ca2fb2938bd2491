check --conformance -l conformance-unknown-ruleset.layout.yaml ../../samples/phuong-mai-dich.yaml
