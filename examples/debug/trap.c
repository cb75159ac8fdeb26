int divide(int a, int b) {
  return a / b;
}

int middle(int x) {
  int y = x * 2;
  return divide(y, x - 3) + 1;
}

__attribute__((export_name("run")))
int run(int x) {
  return middle(x) + 7;
}
