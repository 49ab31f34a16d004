import { Body, Controller, Get, Header, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, CurrentActor } from '@app/access';
import { ApiProblems, Authenticated, DomainError, Public, RateLimit, ApiMfaRequired } from '@app/core';
import { EmailVerificationUseCases } from '../application/email-verification.use-cases';
import { OtpFlows } from '../application/otp-flows.use-cases';
import { PasswordRecoveryUseCases, resetInput } from '../application/password-recovery.use-cases';
import { RequestMeta, TokenPair } from '../domain/session';
import { TokenPairDto } from './auth.dto';
import { emailNotVerifiedPage, emailVerifiedPage, passwordResetDonePage, resetFormPage, resetLinkInvalidPage } from './html-pages';
import { Meta } from './request-meta.decorator';
import {
  EmailVerifyDto,
  ForgotPasswordDto,
  OtpRequestDto,
  OtpRequestedDto,
  OtpVerifyDto,
  ResetPasswordDto,
  ResetPasswordFormDto,
  TokenQueryDto,
  VerificationTokenDto,
} from './verification.dto';

const HTML = 'text/html; charset=utf-8';
const htmlResponse = (status: number, description: string) => ApiResponse({ status, description, content: { 'text/html': { schema: { type: 'string' } } } });
const tokenProblem = (error: unknown): 'invalid' | 'expired' | undefined => {
  if (!(error instanceof DomainError)) return undefined;
  if (error.code === 'VERIFICATION_TOKEN_EXPIRED') return 'expired';
  if (error.code === 'VERIFICATION_TOKEN_INVALID') return 'invalid';
  return undefined;
};

/** One-time codes, email verification and password recovery (`/auth/otp/*`, `/auth/email/*`, `/auth/password/*`). */
@ApiTags('auth')
@Controller('auth')
export class VerificationController {
  constructor(
    private readonly otp: OtpFlows,
    private readonly emails: EmailVerificationUseCases,
    private readonly recovery: PasswordRecoveryUseCases,
  ) {}

  @Post('otp/request')
  @Public()
  @HttpCode(202)
  @RateLimit('otp-request')
  @ApiOperation({ summary: 'Send a six-digit one-time code by SMS or email; answers the same whether or not an account exists' })
  @ApiAcceptedResponse({ type: OtpRequestedDto })
  @ApiProblems(400, 429)
  requestOtp(@Meta() meta: RequestMeta, @Body() body: OtpRequestDto): Promise<OtpRequestedDto> {
    return this.otp.request(meta, body);
  }

  @Post('otp/verify')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @RateLimit('otp-verify')
  @ApiOperation({ summary: 'Check a one-time code: `login` starts a session (token pair); other purposes return a verificationToken' })
  @ApiExtraModels(TokenPairDto, VerificationTokenDto)
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(TokenPairDto) }, { $ref: getSchemaPath(VerificationTokenDto) }] } })
  @ApiProblems(400, 401, 429)
  @ApiMfaRequired()
  async verifyOtp(@Meta() meta: RequestMeta, @Body() body: OtpVerifyDto): Promise<TokenPair | VerificationTokenDto> {
    const result = await this.otp.verify(meta, body);
    return 'pair' in result ? result.pair : { verificationToken: result.verificationToken };
  }

  @Get('email/verify')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The emailed verification link: verifies the address and answers a small HTML page saying what happened' })
  @ApiProduces('text/html')
  @htmlResponse(200, 'The address is verified')
  @htmlResponse(400, 'The link is invalid, used, replaced or expired')
  async openEmailVerificationLink(@Query() query: TokenQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.type(HTML);
    try {
      await this.emails.verify(query.token);
      return emailVerifiedPage();
    } catch (error) {
      const problem = tokenProblem(error);
      if (!problem) throw error;
      reply.status(400);
      return emailNotVerifiedPage(problem);
    }
  }

  @Post('email/verify')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Verify the email address with the token from the emailed link' })
  @ApiResponse({ status: 204, description: 'The address is verified' })
  @ApiProblems(400)
  async verifyEmail(@Body() body: EmailVerifyDto): Promise<void> {
    await this.emails.verify(body.token);
  }

  @Post('email/resend')
  @Authenticated()
  @HttpCode(202)
  @RateLimit('email-resend')
  @ApiOperation({ summary: 'Send a new verification link to the account’s email address (older links stop working)' })
  @ApiResponse({ status: 202, description: 'A link is on its way' })
  @ApiProblems(400, 409, 429)
  async resendEmailVerification(@CurrentActor() actor: Actor): Promise<void> {
    await this.emails.resend(actor);
  }

  @Post('password/forgot')
  @Public()
  @HttpCode(202)
  @RateLimit('password-forgot')
  @ApiOperation({ summary: 'Ask for a password reset link and code; always 202, whether or not the account exists' })
  @ApiResponse({ status: 202, description: 'If the account exists, a link and a code are on their way' })
  @ApiProblems(400, 429)
  async forgotPassword(@Meta() meta: RequestMeta, @Body() body: ForgotPasswordDto): Promise<void> {
    await this.recovery.forgot(meta, body.login);
  }

  @Get('password/reset')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The emailed reset link: an HTML form to choose a new password' })
  @ApiProduces('text/html')
  @htmlResponse(200, 'The form')
  @htmlResponse(400, 'The link is invalid, used, replaced or expired')
  async openPasswordResetLink(@Query() query: TokenQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.type(HTML);
    try {
      await this.recovery.checkToken(query.token);
      return resetFormPage(query.token);
    } catch (error) {
      const problem = tokenProblem(error);
      if (!problem) throw error;
      reply.status(400);
      return resetLinkInvalidPage(problem);
    }
  }

  @Post('password/reset')
  @Public()
  @HttpCode(204)
  @RateLimit('password-reset')
  @ApiOperation({ summary: 'Set a new password with `{ token, newPassword }` or `{ login, code, newPassword }`; single use; ends every session' })
  @ApiResponse({ status: 204, description: 'The password is changed, every session ended, the account unlocked' })
  @ApiProblems(400, 403, 429)
  async resetPassword(@Meta() meta: RequestMeta, @Body() body: ResetPasswordDto): Promise<void> {
    await this.recovery.reset(meta, resetInput(body));
  }

  @Post('password/reset/form')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @RateLimit('password-reset-form')
  @ApiOperation({ summary: 'Submission of the reset page’s form (form-encoded); answers an HTML page' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: ResetPasswordFormDto })
  @ApiProduces('text/html')
  @htmlResponse(200, 'The password is changed')
  @htmlResponse(400, 'The link cannot be used, or the password is not acceptable')
  async submitPasswordResetForm(@Meta() meta: RequestMeta, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.type(HTML);
    const token = typeof body?.token === 'string' ? body.token.slice(0, 512) : '';
    const newPassword = typeof body?.newPassword === 'string' ? body.newPassword : '';
    try {
      await this.recovery.reset(meta, { token, newPassword });
      return passwordResetDonePage();
    } catch (error) {
      reply.status(400);
      const problem = tokenProblem(error);
      if (problem) return resetLinkInvalidPage(problem);
      if (error instanceof DomainError && error.kind === 'invalid') return resetFormPage(token, error.message);
      throw error;
    }
  }
}
