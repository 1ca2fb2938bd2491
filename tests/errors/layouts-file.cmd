layouts --layouts bad-csv-org.yaml
