static inline int load(volatile int *p) { return *p; }
