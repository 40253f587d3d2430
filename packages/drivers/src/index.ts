export { SHIPPED_DRIVERS, shippedDrivers, type ShippedDriverOptions } from './shipped-drivers.js';
