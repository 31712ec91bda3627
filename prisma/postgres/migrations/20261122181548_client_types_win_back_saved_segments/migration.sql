-- CreateEnum
CREATE TYPE "WinBackActionKind" AS ENUM ('SPECIAL_OFFER', 'DISCOUNT', 'GIFT', 'MEETING', 'CALL', 'OTHER');

-- CreateEnum
CREATE TYPE "WinBackOutcome" AS ENUM ('PLANNED', 'DONE', 'WON_BACK', 'NO_RESPONSE', 'DECLINED');

-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "hasBudget" BOOLEAN,
ADD COLUMN     "isExpert" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "isImageMaker" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "WinBackAction" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "kind" "WinBackActionKind" NOT NULL,
    "description" TEXT,
    "plannedFor" TIMESTAMP(3) NOT NULL,
    "assigneeId" TEXT,
    "outcome" "WinBackOutcome" NOT NULL DEFAULT 'PLANNED',
    "outcomeNote" TEXT,
    "completedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WinBackAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedSegment" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "filter" JSONB NOT NULL,
    "createdById" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SavedSegment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WinBackAction_accountId_idx" ON "WinBackAction"("accountId");

-- CreateIndex
CREATE INDEX "WinBackAction_outcome_plannedFor_idx" ON "WinBackAction"("outcome", "plannedFor");

-- CreateIndex
CREATE UNIQUE INDEX "SavedSegment_name_key" ON "SavedSegment"("name");

-- AddForeignKey
ALTER TABLE "WinBackAction" ADD CONSTRAINT "WinBackAction_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
