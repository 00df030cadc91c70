#!/usr/bin/env python3
"""Reference values for InvokeJ's schedulers, computed in numpy straight from diffusers' formulas.

Each scheduler below re-implements the diffusers class InvokeAI maps the name to (with InvokeAI's
config overrides), written from diffusers' set_timesteps / scale_model_input / step / add_noise, not
from the Java code. The output (timesteps, sigmas, and a few denoising steps on a fixed 32-value
latent with a fixed "model output" function, recording every noise draw) is the test resource
inference/src/test/resources/schedulers/reference.json, which SchedulerReferenceTest compares with.

Regenerate (numpy and scipy; no torch or diffusers needed):
    python3 inference/src/test/python/scheduler_reference.py > inference/src/test/resources/schedulers/reference.json

Precision: betas and alphas_cumprod are computed in float64, where torch uses float32 (the two differ
by up to ~3e-5 relative at the noisiest timesteps); sigma tables are rounded to float32 where
diffusers does (.astype(np.float32)).
"""
import json
import math
import sys

import numpy as np
from scipy import integrate

T = 1000
BETA_START, BETA_END = 0.00085, 0.012
SPACING = "leading"  # SD 1.5's scheduler config is a PNDMScheduler config: leading, steps_offset 1
STEPS_OFFSET = 1
SET_ALPHA_TO_ONE = False
CLIP_SAMPLE = False
N = 32

BETAS = np.linspace(BETA_START ** 0.5, BETA_END ** 0.5, T, dtype=np.float64) ** 2
AC = np.cumprod(1.0 - BETAS)
TRAIN_SIGMAS = ((1 - AC) / AC) ** 0.5
LOG_SIGMAS = np.log(TRAIN_SIGMAS)
FINAL_ALPHA = 1.0 if SET_ALPHA_TO_ONE else AC[0]


def sigma_to_t(sigma):
    log_sigma = np.log(np.maximum(sigma, 1e-10))
    dists = log_sigma - LOG_SIGMAS[:, np.newaxis]
    low_idx = np.cumsum((dists >= 0), axis=0).argmax(axis=0).clip(max=LOG_SIGMAS.shape[0] - 2)
    high_idx = low_idx + 1
    low = LOG_SIGMAS[low_idx]
    high = LOG_SIGMAS[high_idx]
    w = np.clip((low - log_sigma) / (low - high), 0, 1)
    t = (1 - w) * low_idx + w * high_idx
    return float(np.asarray(t).reshape(-1)[0])


def karras(in_sigmas, steps):
    sigma_min, sigma_max = in_sigmas[-1], in_sigmas[0]
    rho = 7.0
    ramp = np.linspace(0, 1, steps)
    return (sigma_max ** (1 / rho) + ramp * (sigma_min ** (1 / rho) - sigma_max ** (1 / rho))) ** rho


def discrete_timesteps(steps):
    """Euler / Heun / LMS / KDPM2: float timesteps by timestep_spacing."""
    if SPACING == "leading":
        ratio = T // steps
        t = (np.arange(0, steps) * ratio).round()[::-1].copy().astype(np.float32)
        return t + STEPS_OFFSET
    return np.linspace(0, T - 1, steps, dtype=np.float32)[::-1].copy()


def solver_timesteps(steps):
    """DPMSolverMultistep / UniPC / DEIS: steps + 1 points with the last dropped."""
    if SPACING == "leading":
        ratio = T // (steps + 1)
        t = (np.arange(0, steps + 1) * ratio).round()[::-1][:-1].copy().astype(np.int64)
        return t + STEPS_OFFSET
    return np.linspace(0, T - 1, steps + 1).round()[::-1][:-1].copy().astype(np.int64)


def ddpm_timesteps(steps):
    ratio = T // steps
    return (np.arange(0, steps) * ratio).round()[::-1].copy().astype(np.int64) + STEPS_OFFSET


def x0_from_sigma(out, x, sigma, prediction):
    """Karras-style samples x = x0 + sigma eps."""
    if prediction == "epsilon":
        return x - sigma * out
    return out * (-sigma / (sigma ** 2 + 1) ** 0.5) + x / (sigma ** 2 + 1)


def alpha_sigma(sigma):
    alpha = 1 / ((sigma ** 2 + 1) ** 0.5)
    return alpha, sigma * alpha


def lam(sigma):
    alpha, s = alpha_sigma(sigma)
    with np.errstate(divide="ignore"):
        return np.log(alpha) - np.log(s)


class Base:
    order = 1
    sigmas = None

    def scale(self, i, x):
        return x

    def add_noise(self, original, noise, i):
        t = int(self.timesteps[i])
        return AC[t] ** 0.5 * original + (1 - AC[t]) ** 0.5 * noise


class SigmaBase(Base):
    def scale(self, i, x):
        return x / ((self.sigmas[i] ** 2 + 1) ** 0.5)

    def add_noise(self, original, noise, i):
        return original + noise * self.sigmas[i]


class Euler(SigmaBase):
    def __init__(self, steps, karras_sigmas, prediction, ancestral=False):
        t = discrete_timesteps(steps)
        s = np.interp(t, np.arange(0, T), TRAIN_SIGMAS)
        if karras_sigmas:
            s = karras(s, steps)
            t = np.array([sigma_to_t(v) for v in s])
        self.timesteps = t.astype(np.float64)
        self.sigmas = np.concatenate([s, [0.0]]).astype(np.float32).astype(np.float64)
        self.prediction = prediction
        self.ancestral = ancestral

    def step(self, out, i, x, draw):
        sigma = self.sigmas[i]
        x0 = x0_from_sigma(out, x, sigma, self.prediction)
        derivative = (x - x0) / sigma
        if not self.ancestral:
            return x + derivative * (self.sigmas[i + 1] - sigma)
        sigma_from, sigma_to = sigma, self.sigmas[i + 1]
        sigma_up = (sigma_to ** 2 * (sigma_from ** 2 - sigma_to ** 2) / sigma_from ** 2) ** 0.5
        sigma_down = (sigma_to ** 2 - sigma_up ** 2) ** 0.5
        prev = x + derivative * (sigma_down - sigma)
        return prev + draw() * sigma_up


class Heun(SigmaBase):
    order = 2

    def __init__(self, steps, karras_sigmas, prediction):
        t = discrete_timesteps(steps)
        s = np.interp(t, np.arange(0, T), TRAIN_SIGMAS)
        if karras_sigmas:
            s = karras(s, steps)
            t = np.array([sigma_to_t(v) for v in s])
        s = np.concatenate([s, [0.0]]).astype(np.float32).astype(np.float64)
        self.sigmas = np.concatenate([s[:1], np.repeat(s[1:-1], 2), s[-1:]])
        self.timesteps = np.concatenate([t[:1], np.repeat(t[1:], 2)]).astype(np.float64)
        self.prediction = prediction
        self.prev_derivative = None

    def step(self, out, i, x, draw):
        if self.prev_derivative is None:
            sigma, sigma_next = self.sigmas[i], self.sigmas[i + 1]
        else:
            sigma, sigma_next = self.sigmas[i - 1], self.sigmas[i]
        x0 = x0_from_sigma(out, x, sigma_next if self.prev_derivative is not None else sigma, self.prediction)
        if self.prev_derivative is None:
            derivative = (x - x0) / sigma
            dt = sigma_next - sigma
            self.prev_derivative, self.dt, self.sample = derivative, dt, x
            return x + derivative * dt
        derivative = (x - x0) / sigma_next
        derivative = (self.prev_derivative + derivative) / 2
        prev = self.sample + derivative * self.dt
        self.prev_derivative = None
        return prev


class Lms(SigmaBase):
    def __init__(self, steps, karras_sigmas, prediction):
        t = discrete_timesteps(steps)
        s = np.interp(t, np.arange(0, T), TRAIN_SIGMAS)
        if karras_sigmas:
            s = karras(s, steps)
            t = np.array([sigma_to_t(v) for v in s])
        self.timesteps = t.astype(np.float64)
        self.sigmas = np.concatenate([s, [0.0]]).astype(np.float32).astype(np.float64)
        self.prediction = prediction
        self.derivatives = []

    def coefficient(self, order, t, current):
        def basis(tau):
            prod = 1.0
            for k in range(order):
                if current == k:
                    continue
                prod *= (tau - self.sigmas[t - k]) / (self.sigmas[t - current] - self.sigmas[t - k])
            return prod
        return integrate.quad(basis, self.sigmas[t], self.sigmas[t + 1], epsrel=1e-10)[0]

    def step(self, out, i, x, draw):
        sigma = self.sigmas[i]
        x0 = x0_from_sigma(out, x, sigma, self.prediction)
        self.derivatives.append((x - x0) / sigma)
        if len(self.derivatives) > 4:
            self.derivatives.pop(0)
        order = min(i + 1, 4)
        coeffs = [self.coefficient(order, i, c) for c in range(order)]
        return x + sum(c * d for c, d in zip(coeffs, reversed(self.derivatives)))


class KDpm2(SigmaBase):
    order = 2

    def __init__(self, steps, karras_sigmas, prediction, ancestral=False):
        t = discrete_timesteps(steps)
        s = np.interp(t, np.arange(0, T), TRAIN_SIGMAS)
        if karras_sigmas:
            s = karras(s, steps)
            t = np.array([sigma_to_t(v) for v in s]).round()
        s = np.concatenate([s, [0.0]]).astype(np.float32).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            if not ancestral:
                interpol = np.exp(0.5 * (np.log(s) + np.log(np.roll(s, 1))))
                t_interpol = [sigma_to_t(v) if v > 0 else 0.0 for v in interpol]
                inter = [v for pair in zip(t_interpol[1:-1], t[1:]) for v in pair]
            else:
                nxt = np.roll(s, -1)
                nxt[-1] = 0.0
                up = (nxt ** 2 * (s ** 2 - nxt ** 2) / s ** 2) ** 0.5
                down = (nxt ** 2 - up ** 2) ** 0.5
                down[-1] = 0.0
                interpol = np.exp(0.5 * (np.log(s) + np.log(down)))
                interpol[-2:] = 0.0
                t_interpol = [sigma_to_t(v) if v > 0 else 0.0 for v in interpol]
                inter = [v for pair in zip(t_interpol[:-2], t[1:]) for v in pair]
                self.up = np.concatenate([up[:1], np.repeat(up[1:], 2), up[-1:]])
                self.down = np.concatenate([down[:1], np.repeat(down[1:], 2), down[-1:]])
        rep = lambda a: np.concatenate([a[:1], np.repeat(a[1:], 2), a[-1:]])
        self.sigmas = rep(s)
        self.interpol = rep(interpol.astype(np.float32).astype(np.float64))
        self.timesteps = np.concatenate([t[:1], inter]).astype(np.float64)
        self.prediction = prediction
        self.ancestral = ancestral
        self.sample = None

    def scale(self, i, x):
        if self.sample is None:
            sigma = self.sigmas[i]
        else:
            sigma = self.interpol[i] if not self.ancestral else self.interpol[i - 1]
        return x / ((sigma ** 2 + 1) ** 0.5)

    def step(self, out, i, x, draw):
        first = self.sample is None
        if not self.ancestral:
            if first:
                sigma, sigma_interpol, sigma_next = self.sigmas[i], self.interpol[i + 1], self.sigmas[i + 1]
            else:
                sigma, sigma_interpol, sigma_next = self.sigmas[i - 1], self.interpol[i], self.sigmas[i]
            x0 = x0_from_sigma(out, x, sigma if first else sigma_interpol, self.prediction)
            if first:
                self.sample = x
                return x + (x - x0) / sigma * (sigma_interpol - sigma)
            prev = self.sample + (x - x0) / sigma_interpol * (sigma_next - sigma)
            self.sample = None
            return prev
        if first:
            sigma, sigma_interpol = self.sigmas[i], self.interpol[i]
            sigma_up, sigma_down = self.up[i], self.down[i - 1]
        else:
            sigma, sigma_interpol = self.sigmas[i - 1], self.interpol[i - 1]
            sigma_up, sigma_down = self.up[i - 1], self.down[i - 1]
        noise = draw()
        x0 = x0_from_sigma(out, x, sigma if first else sigma_interpol, self.prediction)
        if first:
            self.sample = x
            return x + (x - x0) / sigma * (sigma_interpol - sigma)
        prev = self.sample + (x - x0) / sigma_interpol * (sigma_down - sigma)
        self.sample = None
        return prev + noise * sigma_up


class DpmSde(SigmaBase):
    """DPMSolverSDEScheduler. Its noise comes from torchsde's Brownian tree in diffusers; here, as in
    InvokeJ, from two draws per step: z1 for the first half, (sqrt(a) z1 + sqrt(b) z2) / sqrt(a + b) for
    the whole interval (Brownian increments in sigma, a and b the halves' lengths)."""
    order = 2

    def __init__(self, steps, karras_sigmas, prediction):
        t = discrete_timesteps(steps)
        s = np.interp(t, np.arange(0, T), TRAIN_SIGMAS)
        if karras_sigmas:
            s = karras(s, steps)
            t = np.array([sigma_to_t(v) for v in s])
        tt = -np.log(s)
        proposed = np.exp(-(tt[:-1] + np.diff(tt) * 0.5))
        second = np.array([sigma_to_t(v) for v in proposed])
        s = np.concatenate([s, [0.0]]).astype(np.float32).astype(np.float64)
        self.sigmas = np.concatenate([s[:1], np.repeat(s[1:-1], 2), s[-1:]])
        ts = np.concatenate([t[:1], np.repeat(t[1:], 2)]).astype(np.float64)
        ts[1::2] = second
        self.timesteps = ts
        self.prediction = prediction
        self.sample = None
        self.mid = None

    def scale(self, i, x):
        sigma = self.sigmas[i] if self.sample is None else self.mid
        return x / ((sigma ** 2 + 1) ** 0.5)

    def step(self, out, i, x, draw):
        first = self.sample is None
        sigma, sigma_next = (self.sigmas[i], self.sigmas[i + 1]) if first else (self.sigmas[i - 1], self.sigmas[i])
        t, t_next = -np.log(sigma), (-np.log(sigma_next) if sigma_next > 0 else np.inf)
        t_proposed = t + (t_next - t) * 0.5
        x0 = x0_from_sigma(out, x, sigma if first else np.exp(-t_proposed), self.prediction)
        if sigma_next == 0:
            return x + (x - x0) / sigma * (sigma_next - sigma)
        if first:
            t_next = t_proposed
        else:
            x = self.sample
        sigma_from, sigma_to = np.exp(-t), np.exp(-t_next)
        sigma_up = min(sigma_to, (sigma_to ** 2 * (sigma_from ** 2 - sigma_to ** 2) / sigma_from ** 2) ** 0.5)
        sigma_down = (sigma_to ** 2 - sigma_up ** 2) ** 0.5
        ancestral_t = -np.log(sigma_down)
        prev = (np.exp(-ancestral_t) / np.exp(-t)) * x - np.expm1(t - ancestral_t) * x0
        if first:
            self.z1 = draw()
            noise = self.z1
            self.sample = x
            self.mid = np.exp(-t_next)
        else:
            z2 = draw()
            a, b = abs(sigma - self.mid), abs(self.mid - sigma_next)
            noise = (a ** 0.5 * self.z1 + b ** 0.5 * z2) / (a + b) ** 0.5
            self.sample = None
            self.mid = None
        return prev + noise * sigma_up


class Ddim(Base):
    def __init__(self, steps, prediction):
        self.timesteps = ddpm_timesteps(steps).astype(np.float64)
        self.stride = T // steps
        self.prediction = prediction

    def step(self, out, i, x, draw):
        t = int(self.timesteps[i])
        prev = t - self.stride
        a = AC[t]
        a_prev = AC[prev] if prev >= 0 else FINAL_ALPHA
        b = 1 - a
        if self.prediction == "epsilon":
            x0, eps = (x - b ** 0.5 * out) / a ** 0.5, out
        else:
            x0, eps = a ** 0.5 * x - b ** 0.5 * out, a ** 0.5 * out + b ** 0.5 * x
        return a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * eps


class Ddpm(Base):
    def __init__(self, steps, prediction):
        self.timesteps = ddpm_timesteps(steps).astype(np.float64)
        self.stride = T // steps
        self.prediction = prediction

    def step(self, out, i, x, draw):
        t = int(self.timesteps[i])
        prev_t = t - self.stride
        a = AC[t]
        a_prev = AC[prev_t] if prev_t >= 0 else 1.0
        b, b_prev = 1 - a, 1 - a_prev
        cur_a = a / a_prev
        cur_b = 1 - cur_a
        if self.prediction == "epsilon":
            x0 = (x - b ** 0.5 * out) / a ** 0.5
        else:
            x0 = a ** 0.5 * x - b ** 0.5 * out
        mean = (a_prev ** 0.5 * cur_b) / b * x0 + cur_a ** 0.5 * b_prev / b * x
        if t > 0:
            variance = max(b_prev / b * cur_b, 1e-20)
            mean = mean + variance ** 0.5 * draw()
        return mean


class Pndm(Base):
    def __init__(self, steps, prediction):
        ts = ddpm_timesteps(steps)[::-1]  # ascending
        self.timesteps = np.concatenate([ts[:-1], ts[-2:-1], ts[-1:]])[::-1].astype(np.float64)
        self.stride = T // steps
        self.prediction = prediction
        self.ets = []
        self.counter = 0
        self.cur_sample = None

    def prev_sample(self, x, t, prev_t, out):
        a = AC[t]
        a_prev = AC[prev_t] if prev_t >= 0 else FINAL_ALPHA
        b, b_prev = 1 - a, 1 - a_prev
        if self.prediction == "v_prediction":
            out = a ** 0.5 * out + b ** 0.5 * x
        denom = a * b_prev ** 0.5 + (a * b * a_prev) ** 0.5
        return (a_prev / a) ** 0.5 * x - (a_prev - a) * out / denom

    def step(self, out, i, x, draw):
        t = int(self.timesteps[i])
        prev_t = t - self.stride
        if self.counter != 1:
            self.ets = self.ets[-3:]
            self.ets.append(out)
        else:
            prev_t = t
            t = t + self.stride
        if len(self.ets) == 1 and self.counter == 0:
            self.cur_sample = x
        elif len(self.ets) == 1 and self.counter == 1:
            out = (out + self.ets[-1]) / 2
            x = self.cur_sample
            self.cur_sample = None
        elif len(self.ets) == 2:
            out = (3 * self.ets[-1] - self.ets[-2]) / 2
        elif len(self.ets) == 3:
            out = (23 * self.ets[-1] - 16 * self.ets[-2] + 5 * self.ets[-3]) / 12
        else:
            out = (55 * self.ets[-1] - 59 * self.ets[-2] + 37 * self.ets[-3] - 9 * self.ets[-4]) / 24
        self.counter += 1
        return self.prev_sample(x, t, prev_t, out)


class SolverBase(Base):
    def make(self, t, steps, karras_sigmas, final):
        if karras_sigmas:
            s = karras(np.flip(TRAIN_SIGMAS).copy(), steps)
            t = np.array([sigma_to_t(v) for v in s]).round()
        else:
            s = np.interp(t, np.arange(0, T), TRAIN_SIGMAS)
        if final == "zero":
            last = 0.0
        elif final == "sigma_min":
            last = ((1 - AC[0]) / AC[0]) ** 0.5
        else:  # DEIS with Karras: sigmas[-1:]
            last = s[-1]
        self.sigmas = np.concatenate([s, [last]]).astype(np.float32).astype(np.float64)
        self.timesteps = np.asarray(t).astype(np.float64)

    def add_noise(self, original, noise, i):
        alpha, s = alpha_sigma(self.sigmas[i])
        return alpha * original + s * noise

    def x0(self, out, x, i):
        alpha, s = alpha_sigma(self.sigmas[i])
        if self.prediction == "epsilon":
            return (x - s * out) / alpha
        return alpha * x - s * out


class DpmMultistep(SolverBase):
    def __init__(self, steps, karras_sigmas, prediction, solver_order, sde=False):
        self.make(solver_timesteps(steps), steps, karras_sigmas, "zero")
        self.prediction = prediction
        self.solver_order = solver_order
        self.sde = sde
        self.outputs = [None] * solver_order
        self.lower_order_nums = 0

    def step(self, out, i, x, draw):
        n = len(self.timesteps)
        lower_final = i == n - 1  # final_sigmas_type "zero"
        lower_second = i == n - 2 and n < 15
        m = self.x0(out, x, i)
        self.outputs = self.outputs[1:] + [m]
        noise = draw() if self.sde else None
        s = self.sigmas
        alpha_t, sigma_t = alpha_sigma(s[i + 1])
        _, sigma_s0 = alpha_sigma(s[i])
        h = lam(s[i + 1]) - lam(s[i])
        if self.solver_order == 1 or self.lower_order_nums < 1 or lower_final:
            if self.sde:
                prev = (sigma_t / sigma_s0 * np.exp(-h)) * x + alpha_t * (1 - np.exp(-2.0 * h)) * m \
                    + sigma_t * np.sqrt(1.0 - np.exp(-2 * h)) * noise
            else:
                prev = (sigma_t / sigma_s0) * x - alpha_t * (np.exp(-h) - 1.0) * m
        elif self.solver_order == 2 or self.lower_order_nums < 2 or lower_second:
            m0, m1 = self.outputs[-1], self.outputs[-2]
            r0 = (lam(s[i]) - lam(s[i - 1])) / h
            d0, d1 = m0, (1.0 / r0) * (m0 - m1)
            if self.sde:
                prev = (sigma_t / sigma_s0 * np.exp(-h)) * x + alpha_t * (1 - np.exp(-2.0 * h)) * d0 \
                    + 0.5 * alpha_t * (1 - np.exp(-2.0 * h)) * d1 + sigma_t * np.sqrt(1.0 - np.exp(-2 * h)) * noise
            else:
                prev = (sigma_t / sigma_s0) * x - alpha_t * (np.exp(-h) - 1.0) * d0 \
                    - 0.5 * alpha_t * (np.exp(-h) - 1.0) * d1
        else:
            m0, m1, m2 = self.outputs[-1], self.outputs[-2], self.outputs[-3]
            h0 = lam(s[i]) - lam(s[i - 1])
            h1 = lam(s[i - 1]) - lam(s[i - 2])
            r0, r1 = h0 / h, h1 / h
            d1_0, d1_1 = (1.0 / r0) * (m0 - m1), (1.0 / r1) * (m1 - m2)
            d1 = d1_0 + (r0 / (r0 + r1)) * (d1_0 - d1_1)
            d2 = (1.0 / (r0 + r1)) * (d1_0 - d1_1)
            prev = (sigma_t / sigma_s0) * x - alpha_t * (np.exp(-h) - 1.0) * m0 \
                + alpha_t * ((np.exp(-h) - 1.0) / h + 1.0) * d1 - alpha_t * ((np.exp(-h) - 1.0 + h) / h ** 2 - 0.5) * d2
        if self.lower_order_nums < self.solver_order:
            self.lower_order_nums += 1
        return prev


class DpmSinglestep(SolverBase):
    def __init__(self, steps, karras_sigmas, prediction):
        t = np.linspace(0, T - 1, steps + 1).round()[::-1][:-1].copy().astype(np.int64)
        self.make(t, steps, karras_sigmas, "zero")
        self.prediction = prediction
        orders = [1, 2] * (steps // 2) + ([1] if steps % 2 else [])
        orders[-1] = 1
        self.orders = orders
        self.outputs = [None, None]
        self.sample = None

    def step(self, out, i, x, draw):
        order = self.orders[i]
        self.outputs = self.outputs[1:] + [self.x0(out, x, i)]
        while self.outputs[-order] is None:
            order -= 1
        if order == 1:
            self.sample = x
        s = self.sigmas
        alpha_t, sigma_t = alpha_sigma(s[i + 1])
        if order == 1:
            _, sigma_s = alpha_sigma(s[i])
            h = lam(s[i + 1]) - lam(s[i])
            return (sigma_t / sigma_s) * self.sample - alpha_t * (np.exp(-h) - 1.0) * self.outputs[-1]
        _, sigma_s1 = alpha_sigma(s[i - 1])
        m0, m1 = self.outputs[-1], self.outputs[-2]
        h = lam(s[i + 1]) - lam(s[i - 1])
        h0 = lam(s[i]) - lam(s[i - 1])
        r0 = h0 / h
        d0, d1 = m1, (1.0 / r0) * (m0 - m1)
        return (sigma_t / sigma_s1) * self.sample - alpha_t * (np.exp(-h) - 1.0) * d0 \
            - 0.5 * alpha_t * (np.exp(-h) - 1.0) * d1


class Deis(SolverBase):
    def __init__(self, steps, karras_sigmas, prediction):
        self.make(solver_timesteps(steps), steps, karras_sigmas, "repeat" if karras_sigmas else "sigma_min")
        self.prediction = prediction
        self.outputs = [None, None]
        self.lower_order_nums = 0

    def step(self, out, i, x, draw):
        n = len(self.timesteps)
        lower_final = i == n - 1 and n < 15
        alpha_s0, sigma_s0 = alpha_sigma(self.sigmas[i])
        eps = (x - alpha_s0 * self.x0(out, x, i)) / sigma_s0
        self.outputs = self.outputs[1:] + [eps]
        s = self.sigmas
        alpha_t, sigma_t = alpha_sigma(s[i + 1])
        if self.lower_order_nums < 1 or lower_final:
            h = lam(s[i + 1]) - lam(s[i])
            prev = (alpha_t / alpha_s0) * x - sigma_t * (np.exp(h) - 1.0) * eps
        else:
            alpha_s1, sigma_s1 = alpha_sigma(s[i - 1])
            rho_t, rho_s0, rho_s1 = sigma_t / alpha_t, sigma_s0 / alpha_s0, sigma_s1 / alpha_s1

            def ind_fn(t, b, c):
                return t * (-np.log(c) + np.log(t) - 1) / (np.log(b) - np.log(c))

            coef1 = ind_fn(rho_t, rho_s0, rho_s1) - ind_fn(rho_s0, rho_s0, rho_s1)
            coef2 = ind_fn(rho_t, rho_s1, rho_s0) - ind_fn(rho_s0, rho_s1, rho_s0)
            prev = alpha_t * (x / alpha_s0 + coef1 * self.outputs[-1] + coef2 * self.outputs[-2])
        if self.lower_order_nums < 2:
            self.lower_order_nums += 1
        return prev


class UniPc(SolverBase):
    SOLVER_ORDER = 2

    def __init__(self, steps, karras_sigmas, prediction):
        self.make(solver_timesteps(steps), steps, karras_sigmas, "zero")
        self.prediction = prediction
        self.outputs = [None, None]
        self.last_sample = None
        self.lower_order_nums = 0
        self.this_order = None

    @staticmethod
    def r_b(rks, hh):
        h_phi_1 = np.expm1(hh)
        h_phi_k = h_phi_1 / hh - 1
        factorial_i = 1
        b_h = np.expm1(hh)
        r, b = [], []
        for i in range(1, len(rks) + 1):
            r.append(np.power(rks, i - 1))
            b.append(h_phi_k * factorial_i / b_h)
            factorial_i *= i + 1
            h_phi_k = h_phi_k / hh - 1 / factorial_i
        return np.stack(r), np.array(b), h_phi_1, b_h

    def predictor(self, x, i, order):
        s = self.sigmas
        m0 = self.outputs[-1]
        alpha_t, sigma_t = alpha_sigma(s[i + 1])
        _, sigma_s0 = alpha_sigma(s[i])
        h = lam(s[i + 1]) - lam(s[i])
        rks, d1s = [], []
        for k in range(1, order):
            rk = (lam(s[i - k]) - lam(s[i])) / h
            rks.append(rk)
            d1s.append((self.outputs[-(k + 1)] - m0) / rk)
        rks.append(1.0)
        r, b, h_phi_1, b_h = self.r_b(np.array(rks), -h)
        x_t_ = sigma_t / sigma_s0 * x - alpha_t * h_phi_1 * m0
        if d1s:
            rhos = np.array([0.5]) if order == 2 else np.linalg.solve(r[:-1, :-1], b[:-1])
            pred_res = sum(rho * d for rho, d in zip(rhos, d1s))
        else:
            pred_res = 0
        return x_t_ - alpha_t * b_h * pred_res

    def corrector(self, model_t, x, x_t, i, order):
        s = self.sigmas
        m0 = self.outputs[-1]
        alpha_t, sigma_t = alpha_sigma(s[i])
        _, sigma_s0 = alpha_sigma(s[i - 1])
        h = lam(s[i]) - lam(s[i - 1])
        rks, d1s = [], []
        for k in range(1, order):
            rk = (lam(s[i - (k + 1)]) - lam(s[i - 1])) / h
            rks.append(rk)
            d1s.append((self.outputs[-(k + 1)] - m0) / rk)
        rks.append(1.0)
        r, b, h_phi_1, b_h = self.r_b(np.array(rks), -h)
        rhos = np.array([0.5]) if order == 1 else np.linalg.solve(r, b)
        x_t_ = sigma_t / sigma_s0 * x - alpha_t * h_phi_1 * m0
        corr_res = sum(rho * d for rho, d in zip(rhos[:-1], d1s)) if d1s else 0
        return x_t_ - alpha_t * b_h * (corr_res + rhos[-1] * (model_t - m0))

    def step(self, out, i, x, draw):
        converted = self.x0(out, x, i)
        if i > 0 and self.last_sample is not None:
            x = self.corrector(converted, self.last_sample, x, i, self.this_order)
        self.outputs = self.outputs[1:] + [converted]
        this_order = min(self.SOLVER_ORDER, len(self.timesteps) - i)
        self.this_order = min(this_order, self.lower_order_nums + 1)
        self.last_sample = x
        prev = self.predictor(x, i, self.this_order)
        if self.lower_order_nums < self.SOLVER_ORDER:
            self.lower_order_nums += 1
        return prev


class Consistency(Base):
    def __init__(self, steps, prediction, tcd):
        k = T // 50
        origin = np.asarray(list(range(1, 51))) * k - 1
        origin = origin[::-1].copy()
        indices = np.floor(np.linspace(0, len(origin), num=steps, endpoint=False)).astype(np.int64)
        self.timesteps = origin[indices].astype(np.float64)
        self.prediction = prediction
        self.tcd = tcd

    def step(self, out, i, x, draw):
        t = int(self.timesteps[i])
        last = i == len(self.timesteps) - 1
        a = AC[t]
        b = 1 - a
        if self.prediction == "epsilon":
            x0, eps = (x - b ** 0.5 * out) / a ** 0.5, out
        else:
            x0, eps = a ** 0.5 * x - b ** 0.5 * out, a ** 0.5 * out + b ** 0.5 * x
        if self.tcd:
            eta = 1.0
            prev_t = int(self.timesteps[i + 1]) if not last else 0
            ts = int(math.floor((1 - eta) * prev_t))
            a_prev, a_s = AC[prev_t], AC[ts]
            noised = a_s ** 0.5 * x0 + (1 - a_s) ** 0.5 * eps
            if last:
                return noised
            return (a_prev / a_s) ** 0.5 * noised + (1 - a_prev / a_s) ** 0.5 * draw()
        prev_t = int(self.timesteps[i + 1]) if not last else t
        scaled = t * 10.0
        c_skip = 0.25 / (scaled ** 2 + 0.25)
        c_out = scaled / (scaled ** 2 + 0.25) ** 0.5
        denoised = c_out * x0 + c_skip * x
        if last:
            return denoised
        a_prev = AC[prev_t]
        return a_prev ** 0.5 * denoised + (1 - a_prev) ** 0.5 * draw()


def make(name, steps, prediction):
    k = name.endswith("_k")
    return {
        "ddim": lambda: Ddim(steps, prediction),
        "ddpm": lambda: Ddpm(steps, prediction),
        "deis": lambda: Deis(steps, False, prediction),
        "deis_k": lambda: Deis(steps, True, prediction),
        "dpmpp_2s": lambda: DpmSinglestep(steps, False, prediction),
        "dpmpp_2s_k": lambda: DpmSinglestep(steps, True, prediction),
        "dpmpp_2m": lambda: DpmMultistep(steps, False, prediction, 2),
        "dpmpp_2m_k": lambda: DpmMultistep(steps, True, prediction, 2),
        "dpmpp_2m_sde": lambda: DpmMultistep(steps, False, prediction, 2, sde=True),
        "dpmpp_2m_sde_k": lambda: DpmMultistep(steps, True, prediction, 2, sde=True),
        "dpmpp_3m": lambda: DpmMultistep(steps, False, prediction, 3),
        "dpmpp_3m_k": lambda: DpmMultistep(steps, True, prediction, 3),
        "dpmpp_sde": lambda: DpmSde(steps, False, prediction),
        "dpmpp_sde_k": lambda: DpmSde(steps, True, prediction),
        "euler": lambda: Euler(steps, False, prediction),
        "euler_k": lambda: Euler(steps, True, prediction),
        "euler_a": lambda: Euler(steps, False, prediction, ancestral=True),
        "heun": lambda: Heun(steps, False, prediction),
        "heun_k": lambda: Heun(steps, True, prediction),
        "kdpm_2": lambda: KDpm2(steps, False, prediction),
        "kdpm_2_k": lambda: KDpm2(steps, True, prediction),
        "kdpm_2_a": lambda: KDpm2(steps, False, prediction, ancestral=True),
        "kdpm_2_a_k": lambda: KDpm2(steps, True, prediction, ancestral=True),
        "lcm": lambda: Consistency(steps, prediction, tcd=False),
        "lms": lambda: Lms(steps, False, prediction),
        "lms_k": lambda: Lms(steps, True, prediction),
        "pndm": lambda: Pndm(steps, prediction),
        "tcd": lambda: Consistency(steps, prediction, tcd=True),
        "unipc": lambda: UniPc(steps, False, prediction),
        "unipc_k": lambda: UniPc(steps, True, prediction),
    }[name]()


def model_output(x, t):
    """The fixed stand-in for a UNet: a function of its (scaled) input and the timestep."""
    return 0.4 * x + 0.3 * np.sin(0.7 * np.arange(N) + 0.004 * t)


def window_start(sched, start):
    """InvokeAI's start index for denoising_start (denoising_end 1)."""
    kept = sched.timesteps[:: sched.order]
    t_start = int(round(T * (1 - start)))
    return len([t for t in kept if t >= t_start]) * sched.order


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def run(name, steps, prediction, start, evaluations, seed):
    sched = make(name, steps, prediction)
    rng = np.random.default_rng(seed)
    original = f32(0.5 * np.cos(np.arange(N) * 0.9)) if start > 0 else np.zeros(N)
    base_noise = f32(rng.standard_normal(N))
    draws = []

    def draw():
        d = f32(rng.standard_normal(N))
        draws.append(d)
        return d

    first = window_start(sched, start)
    x = sched.add_noise(original, base_noise, first)
    samples = []
    for i in range(first, min(first + evaluations, len(sched.timesteps))):
        out = model_output(sched.scale(i, x), sched.timesteps[i])
        x = sched.step(out, i, x, draw)
        samples.append(x.tolist())
    case = {
        "scheduler": name, "steps": steps, "prediction": prediction, "denoising_start": start,
        "window_start": first, "timesteps": sched.timesteps.tolist(),
        "original": original.tolist(), "noise": base_noise.tolist(), "draws": [d.tolist() for d in draws],
        "samples": samples,
    }
    if sched.sigmas is not None:
        case["sigmas"] = np.asarray(sched.sigmas).tolist()
    return case


NAMES = ["ddim", "ddpm", "deis", "deis_k", "dpmpp_2s", "dpmpp_2s_k", "dpmpp_2m", "dpmpp_2m_k", "dpmpp_2m_sde",
         "dpmpp_2m_sde_k", "dpmpp_3m", "dpmpp_3m_k", "dpmpp_sde", "dpmpp_sde_k", "euler", "euler_k", "euler_a", "heun", "heun_k", "kdpm_2",
         "kdpm_2_k", "kdpm_2_a", "kdpm_2_a_k", "lcm", "lms", "lms_k", "pndm", "tcd", "unipc", "unipc_k"]


def main():
    cases = []
    seed = 100
    for name in NAMES:
        # a whole short run (covers the last-step rules), the start of a long one with v-prediction
        # (covers higher orders), and an image-to-image start part-way down the schedule
        runs = [(5, "epsilon", 0.0, 10), (25, "v_prediction", 0.0, 5), (10, "epsilon", 0.4, 4)]
        for steps, prediction, start, evaluations in runs:
            if name in ("lms", "lms_k") and start > 0:
                # diffusers' LMS takes min(step_index + 1, 4) as its order, which weights a single
                # derivative with a cubic's coefficient when a run starts part-way; InvokeJ uses the
                # derivatives it has (documented in LmsScheduler), so there is no reference to match
                continue
            seed += 1
            cases.append(run(name, steps, prediction, start, evaluations, seed))
    json.dump({"train_steps": T, "beta_start": BETA_START, "beta_end": BETA_END, "timestep_spacing": SPACING,
               "steps_offset": STEPS_OFFSET, "latent_size": N, "cases": cases}, sys.stdout, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
