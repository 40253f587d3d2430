export { SHIPPED_DRIVERS } from './shipped-drivers.js';
