import { cidrOverlaps, cidrSubnet, formatCidr, isPrivateCidr, parseCidr } from '../modules/common/cidr';

describe('cidr', () => {
  test.each([
    ['10.0.0.0/16', true],
    ['10.0.0.0/8', true],
    ['192.168.10.0/24', true],
    ['10.0.1.0/16', false],
    ['256.0.0.0/16', false],
    ['10.0.0.0/33', false],
    ['10.0.0/16', false],
    ['10.0.0.0', false],
  ])('parseCidr(%s) accepts only aligned IPv4 blocks: %s', (text, ok) => {
    expect(parseCidr(text) !== undefined).toBe(ok);
  });

  test('round-trips through formatCidr', () => {
    expect(formatCidr(parseCidr('172.16.32.0/20')!)).toBe('172.16.32.0/20');
  });

  test.each([
    ['10.0.0.0/16', '10.0.255.0/24', true],
    ['10.0.0.0/16', '10.1.0.0/16', false],
    ['10.0.0.0/8', '10.200.0.0/16', true],
    ['192.168.0.0/24', '192.168.1.0/24', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(cidrOverlaps(parseCidr(a)!, parseCidr(b)!)).toBe(expected);
    expect(cidrOverlaps(parseCidr(b)!, parseCidr(a)!)).toBe(expected);
  });

  test('cidrSubnet matches terraform cidrsubnet()', () => {
    const base = parseCidr('10.20.0.0/16')!;
    expect(formatCidr(cidrSubnet(base, 4, 0))).toBe('10.20.0.0/20');
    expect(formatCidr(cidrSubnet(base, 5, 31))).toBe('10.20.248.0/21');
    expect(() => cidrSubnet(base, 4, 16)).toThrow(/has no subnet 16 of \/20/);
  });

  test.each([
    ['10.1.0.0/16', true],
    ['172.31.0.0/16', true],
    ['172.32.0.0/16', false],
    ['8.8.0.0/16', false],
  ])('%s is private: %s', (text, expected) => {
    expect(isPrivateCidr(parseCidr(text)!)).toBe(expected);
  });
});
