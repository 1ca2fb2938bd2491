check --conformance -l @IN@/margin-10.yaml ../../samples/phuong-mai-dich.yaml
