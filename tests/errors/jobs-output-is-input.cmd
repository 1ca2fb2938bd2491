certificates --jobs 2 @IN@/nguyen-thi-huyen-trang.yaml -o '@IN@/{ten}.yaml'
