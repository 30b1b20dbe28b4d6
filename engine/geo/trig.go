// Sine, cosine and arcsine for DistanceMiles, the same on every platform.
//
// These are the Go standard library's math.Sin, math.Cos and math.Asin
// (src/math/sin.go, asin.go and atan.go, themselves from the Cephes library)
// with one change: every product that is then added to or subtracted from is
// rounded to float64 first, with an explicit conversion. The standard
// library's own code is compiled like any other Go code, so on linux/arm64 and
// darwin/arm64 (and amd64 built with GOAMD64=v3) the compiler fuses its
// polynomials into multiply-adds and math.Sin, math.Cos and math.Asin return
// different last bits than on amd64; a distance on the boundary of a location
// band or of a displayed hundredth of a mile could then be scored differently
// on a Mac than on the council's Linux server. Here the results are those of
// math.Sin, math.Cos and math.Asin on amd64 (GOAMD64=v1), bit for bit, on
// every platform (TestTrigMatchesAmd64).
//
// Adapted from the Go standard library: Copyright 2009 The Go Authors. All
// rights reserved. Use of that source code is governed by a BSD-style licence
// that can be found in the LICENSE file of the Go distribution.

package geo

import "math"

// Sine and cosine polynomial coefficients (Go's src/math/sin.go).
var sinCoef = [...]float64{
	1.58962301576546568060e-10, // 0x3de5d8fd1fd19ccd
	-2.50507477628578072866e-8, // 0xbe5ae5e5a9291f5d
	2.75573136213857245213e-6,  // 0x3ec71de3567d48a1
	-1.98412698295895385996e-4, // 0xbf2a01a019bfdf03
	8.33333333332211858878e-3,  // 0x3f8111111110f7d0
	-1.66666666666666307295e-1, // 0xbfc5555555555548
}

var cosCoef = [...]float64{
	-1.13585365213876817300e-11, // 0xbda8fa49a0861a9b
	2.08757008419747316778e-9,   // 0x3e21ee9d7b4e3f05
	-2.75573141792967388112e-7,  // 0xbe927e4f7eac4bc6
	2.48015872888517045348e-5,   // 0x3efa01a019c844f5
	-1.38888888888730564116e-3,  // 0xbf56c16c16c14f91
	4.16666666666665929218e-2,   // 0x3fa555555555554b
}

// Pi/4 split into three parts, for extended-precision reduction.
const (
	pi4A = 7.85398125648498535156e-1  // 0x3fe921fb40000000
	pi4B = 3.77489470793079817668e-8  // 0x3e64442d00000000
	pi4C = 2.69515142907905952645e-15 // 0x3ce8469898cc5170
)

// reduceThreshold is where the standard library switches to Payne-Hanek
// reduction. Angles on the Earth are far below it (|x| ≤ 2π); above it
// sin and cos defer to the math package.
const reduceThreshold = 1 << 29

// reduce maps x ≥ 0 to its octant j (0–7) and the remainder z, as
// math.sin and math.cos do below reduceThreshold.
func reduce(x float64) (j uint64, z float64) {
	j = uint64(x * (4 / math.Pi)) // integer part of x/(π/4)
	y := float64(j)
	if j&1 == 1 { // map zeros to origin
		j++
		y++
	}
	j &= 7
	z = float64(float64(x-float64(y*pi4A))-float64(y*pi4B)) - float64(y*pi4C)
	return j, z
}

// sinPoly is z + z·zz·P(zz): sin z for |z| ≤ π/4.
func sinPoly(z, zz float64) float64 {
	p := float64(sinCoef[0]*zz) + sinCoef[1]
	p = float64(p*zz) + sinCoef[2]
	p = float64(p*zz) + sinCoef[3]
	p = float64(p*zz) + sinCoef[4]
	p = float64(p*zz) + sinCoef[5]
	return z + float64(z*zz*p)
}

// cosPoly is 1 − zz/2 + zz²·Q(zz): cos z for |z| ≤ π/4.
func cosPoly(zz float64) float64 {
	q := float64(cosCoef[0]*zz) + cosCoef[1]
	q = float64(q*zz) + cosCoef[2]
	q = float64(q*zz) + cosCoef[3]
	q = float64(q*zz) + cosCoef[4]
	q = float64(q*zz) + cosCoef[5]
	return 1.0 - float64(0.5*zz) + float64(zz*zz*q)
}

// sin is math.Sin without fused multiply-add.
func sin(x float64) float64 {
	switch {
	case x == 0 || math.IsNaN(x):
		return x
	case math.IsInf(x, 0):
		return math.NaN()
	}
	sign := false
	if x < 0 {
		x = -x
		sign = true
	}
	if x >= reduceThreshold {
		if sign {
			x = -x
		}
		return math.Sin(x)
	}
	j, z := reduce(x)
	if j > 3 { // reflect in x axis
		sign = !sign
		j -= 4
	}
	zz := z * z
	var y float64
	if j == 1 || j == 2 {
		y = cosPoly(zz)
	} else {
		y = sinPoly(z, zz)
	}
	if sign {
		y = -y
	}
	return y
}

// cos is math.Cos without fused multiply-add.
func cos(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return math.NaN()
	}
	x = math.Abs(x)
	if x >= reduceThreshold {
		return math.Cos(x)
	}
	sign := false
	j, z := reduce(x)
	if j > 3 {
		j -= 4
		sign = !sign
	}
	if j > 1 {
		sign = !sign
	}
	zz := z * z
	var y float64
	if j == 1 || j == 2 {
		y = sinPoly(z, zz)
	} else {
		y = cosPoly(zz)
	}
	if sign {
		y = -y
	}
	return y
}

// asin is math.Asin without fused multiply-add.
func asin(x float64) float64 {
	if x == 0 {
		return x
	}
	sign := false
	if x < 0 {
		x = -x
		sign = true
	}
	if x > 1 {
		return math.NaN()
	}
	t := math.Sqrt(1 - float64(x*x))
	if x > 0.7 {
		t = math.Pi/2 - satan(t/x)
	} else {
		t = satan(x / t)
	}
	if sign {
		t = -t
	}
	return t
}

// satan reduces its non-negative argument to [0, 0.66] (Go's src/math/atan.go).
func satan(x float64) float64 {
	const (
		morebits = 6.123233995736765886130e-17 // π/2 = PIO2 + morebits
		tan3pio8 = 2.41421356237309504880      // tan(3π/8)
	)
	if x <= 0.66 {
		return xatan(x)
	}
	if x > tan3pio8 {
		return math.Pi/2 - xatan(1/x) + morebits
	}
	return math.Pi/4 + xatan((x-1)/(x+1)) + 0.5*morebits
}

// xatan is atan x for x in [0, 0.66].
func xatan(x float64) float64 {
	const (
		p0 = -8.750608600031904122785e-01
		p1 = -1.615753718733365076637e+01
		p2 = -7.500855792314704667340e+01
		p3 = -1.228866684490136173410e+02
		p4 = -6.485021904942025371773e+01
		q0 = +2.485846490142306297962e+01
		q1 = +1.650270098316988542046e+02
		q2 = +4.328810604912902668951e+02
		q3 = +4.853903996359136964868e+02
		q4 = +1.945506571482613964425e+02
	)
	z := float64(x * x) // added to q0 below
	p := float64(p0*z) + p1
	p = float64(p*z) + p2
	p = float64(p*z) + p3
	p = float64(p*z) + p4
	q := z + q0
	q = float64(q*z) + q1
	q = float64(q*z) + q2
	q = float64(q*z) + q3
	q = float64(q*z) + q4
	z = z * p / q
	return float64(x*z) + x
}
