check image-truncated.yaml
