check recipients-numbers.yaml
