check recipients-number.yaml
