/** Query keys and shared checks of the Customers area. */
export const customerKeys = {
  all: ['operator', 'customers'] as const,
  search: (q: string) => ['operator', 'customers', 'search', q] as const,
  detail: (id: string) => ['operator', 'customers', id, 'detail'] as const,
};

export const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
