certificates @IN@/nguyen-thi-huyen-trang.yaml -o '@IN@/{ten}.yaml'
