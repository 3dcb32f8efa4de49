import { Size } from 'cdk8s';
import { parseQuantity, sizeToQuantity } from '../../lib/core/quantity';

describe('quantities', () => {
  test('parseQuantity splits what Kubernetes accepts', () => {
    expect(parseQuantity('250m')).toEqual({ negative: false, number: '250', suffix: 'm' });
    expect(parseQuantity('1.5Gi')).toEqual({ negative: false, number: '1.5', suffix: 'Gi' });
    expect(parseQuantity('.5')).toEqual({ negative: false, number: '.5', suffix: '' });
    expect(parseQuantity('+2')).toEqual({ negative: false, number: '2', suffix: '' });
    expect(parseQuantity('-1')).toEqual({ negative: true, number: '1', suffix: '' });
    expect(parseQuantity('1e3')).toEqual({ negative: false, number: '1', suffix: 'e3' });
    expect(parseQuantity('2E-2')).toEqual({ negative: false, number: '2', suffix: 'E-2' });
    expect(parseQuantity('3E')).toEqual({ negative: false, number: '3', suffix: 'E' });
  });

  test('parseQuantity refuses what Kubernetes refuses', () => {
    for (const bad of ['', '1 core', '500mi', 'm', '1.2.3', '1KiB', ' 1', 'one', '1Kb']) {
      expect(parseQuantity(bad)).toBeUndefined();
    }
  });

  test('sizeToQuantity: the largest exact binary unit, undefined for fractions of a KiB', () => {
    expect(sizeToQuantity(Size.mebibytes(1024))).toBe('1Gi');
    expect(sizeToQuantity(Size.kibibytes(1536))).toBe('1536Ki');
    expect(sizeToQuantity(Size.kibibytes(0.5))).toBeUndefined();
    expect(sizeToQuantity(Size.mebibytes(0))).toBeUndefined();
  });
});
